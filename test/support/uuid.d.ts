// The part of uuid 8.3.2 the tests compare the app's ids with (@types/uuid pulls in newer node types).
declare module 'uuid' {
	export function v4(): string;
	export const v5: ((name: string, namespace: string) => string) & { readonly DNS: string };
}
