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
		files: ['src/**/*.ts'],
		rules: {
			'import/no-restricted-paths': [
				'error',
				{
					zones: [
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
		// The config applies its Jest rules to *.test.ts; node:test's describe/it read the same way.
		files: ['test/**/*.ts'],
		settings: { jest: { version: 29 } },
	},
	{
		files: ['**/*.mjs'],
		...rocketChat.find((config) => config.name === 'typescript-eslint/disable-type-checked'),
	},
];
