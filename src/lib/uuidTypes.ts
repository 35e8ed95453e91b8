// The two functions of uuid 8.3.2 (what the Deno runtime gives apps) that the app uses.
// Declared here because @types/uuid pulls in newer Node types, which the app packager cannot load,
// and in a .ts file (not .d.ts) because the packager expects every file to emit JavaScript.
declare module 'uuid' {
	export function v4(): string;
	export function v5(name: string, namespace: string): string;
}
