/** The error every bridge method the local host does not provide throws. */
export class NotSupportedByLocalHostError extends Error {
	constructor(bridge: string, method: string) {
		super(`${bridge}.${method} is not supported by the local host`);
		this.name = 'NotSupportedByLocalHostError';
	}
}

/**
 * A bridge whose every implementation method throws NotSupportedByLocalHostError. The
 * engine's `do*` wrappers stay real (they check the app's permissions first, as on a
 * server); only the abstract methods they call are missing and answer the clear error.
 */
export function unsupportedBridge<T extends object>(bridgeName: string, prototype: T): T {
	return new Proxy(Object.create(prototype) as T, {
		get(target, property, receiver) {
			// `then` must stay undefined, or awaiting the bridge would call it.
			if (typeof property === 'symbol' || property === 'then' || property in target) {
				return Reflect.get(target, property, receiver);
			}
			return () => {
				throw new NotSupportedByLocalHostError(bridgeName, property);
			};
		},
	});
}
