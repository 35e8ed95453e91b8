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
		// The config applies its Jest rules to *.test.ts; node:test's describe/it read the same way.
		files: ['test/**/*.ts'],
		settings: { jest: { version: 29 } },
	},
	{
		files: ['**/*.mjs'],
		...rocketChat.find((config) => config.name === 'typescript-eslint/disable-type-checked'),
	},
];
