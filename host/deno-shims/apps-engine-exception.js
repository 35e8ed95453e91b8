// The npm tarball of @rocket.chat/apps-engine ships compiled definition/ but not src/,
// so the runtime's one value import of src/definition/exceptions/AppsEngineException.ts
// is served from the compiled class (the same one handlers/listener/handler.ts requires).
// This file is copied to <apps-engine>/deno-runtime/local-shims/ by host/setup-deno-cache.mjs.
import { createRequire } from 'node:module';

const requireFromEngine = createRequire(import.meta.url);

export const { AppsEngineException } = requireFromEngine('../../definition/exceptions/AppsEngineException.js');
