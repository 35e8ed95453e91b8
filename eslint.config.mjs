import rocketChat from '@rocket.chat/eslint-config';

// Rocket.Chat's own lint and formatting rules, type-aware over every TypeScript file we compile.
export default [
	...rocketChat,
	{
		ignores: [
			'build/**',
			'dist/**',
			'data/**',
			'node_modules/**',
			'src/i18n/catalog.ts',
			'src/i18n/languages/**',
			'host/deno-shims/**',
		],
	},
	{
		files: ['**/*.ts'],
		languageOptions: {
			parserOptions: {
				projectService: false,
				project: ['./tsconfig.test.json'],
				tsconfigRootDir: import.meta.dirname,
			},
		},
	},
	{
		// The app's layers: domain, i18n and lib at the bottom; persistence, settings and ui above
		// them and never importing each other upward; handlers on top; FeedbackApp.ts wires.
		// The app is what gets packaged: it imports nothing from the host, the page, the bench or
		// the tests, and lib is generic code that knows nothing of the app.
		files: ['src/**/*.ts', 'FeedbackApp.ts'],
		rules: {
			'import/no-restricted-paths': [
				'error',
				{
					zones: [
						{
							target: ['./src', './FeedbackApp.ts'],
							from: ['./host', './web', './bench', './test'],
							message:
								'The app is packaged alone: it imports nothing from host/, web/, bench/ or test/.',
						},
						{
							target: './src/lib',
							from: './src',
							except: ['./lib'],
							message:
								'lib is generic code: it imports nothing else of the app, not even the domain.',
						},
						{
							target: ['./src/domain', './src/i18n', './src/lib'],
							from: ['./src/persistence', './src/settings', './src/ui', './src/handlers'],
							message: 'The domain, i18n and lib sit at the bottom: they import no layer above.',
						},
						{
							target: ['./src/domain', './src/lib'],
							from: ['./src/i18n/translate.ts'],
							message: 'The domain may use message keys (types), not translators.',
						},
						{
							target: './src/persistence',
							from: ['./src/ui', './src/settings', './src/handlers'],
							message: 'Persistence depends on the domain only.',
						},
						{
							target: './src/ui',
							from: ['./src/persistence', './src/settings', './src/handlers'],
							message: 'The UI builds views and text from the domain only.',
						},
						{
							target: './src/settings',
							from: ['./src/persistence', './src/ui', './src/handlers'],
							message: 'Settings read the platform into domain values only.',
						},
					],
				},
			],
		},
	},
	{
		// The host's front door: the page, the bench and the tests of the app drive the host through
		// host/index.ts only; the host's own tests (test/host/) may reach inside it.
		files: [
			'web/**/*.ts',
			'web/**/*.tsx',
			'bench/**/*.ts',
			'test/{engine,cluster,web,unit}/**/*.ts',
		],
		rules: {
			'import/no-restricted-paths': [
				'error',
				{
					zones: [
						{
							target: [
								'./web',
								'./bench',
								'./test/engine',
								'./test/cluster',
								'./test/web',
								'./test/unit',
							],
							from: './host',
							except: ['./index.ts'],
							message:
								'Drive the host through its front door, host/index.ts (export what is missing there).',
						},
					],
				},
			],
		},
	},
	{
		// The local host's rooms (host/README.md): the server's stores and rules at the bottom; the
		// bridges know the host only through the hooks they are given, and tell members' clients
		// through their sessions; the cluster's driver and its instances share only their protocol.
		files: ['host/**/*.ts'],
		rules: {
			'import/no-restricted-paths': [
				'error',
				{
					zones: [
						{
							target: './host/bridges',
							from: './host/drivers',
							message: 'Bridges reach the host only through the IHostHooks they are given.',
						},
						{
							target: './host/bridges',
							from: './host/client',
							except: ['./session-state.ts'],
							message:
								'Bridges reach a member’s client only through its session (client/session-state.ts).',
						},
						{
							target: './host/server',
							from: ['./host/bridges', './host/client', './host/drivers'],
							message:
								'The server’s stores and rules sit below the bridges, the clients and the drivers.',
						},
						{
							target: './host/drivers/cluster.ts',
							from: './host/drivers/instance-process.ts',
							message:
								'The cluster driver and its instances share only drivers/instance-protocol.ts.',
						},
						{
							target: './host/drivers/instance-process.ts',
							from: './host/drivers/cluster.ts',
							message:
								'The cluster driver and its instances share only drivers/instance-protocol.ts.',
						},
					],
				},
			],
		},
	},
	{
		// No module of the app or the host reaches itself again through its imports: each layer
		// and each of the host's rooms can be read from the bottom up.
		files: ['src/**/*.ts', 'FeedbackApp.ts', 'host/**/*.ts'],
		rules: {
			'import/no-cycle': 'error',
		},
	},
	{
		// The config applies its Jest rules to *.test.ts; node:test's describe/it read the same way.
		files: ['test/**/*.ts'],
		settings: { jest: { version: 29 } },
	},
	{
		files: ['**/*.mjs'],
		...rocketChat.find((config) => config.name === 'typescript-eslint/disable-type-checked'),
	},
];
