// The bundled 15x15 corridor-maze model as { kind, url, sha256 }, for loadSolver({ model }) and
// createWorkerSolver({ model }). Its own module, so a bundler emits this model file only
// into apps that import it.
import { SHIPPED_SHA256 } from '../default-model.js';

export default { kind: 'maze', url: new URL('../../models/maze15.safetensors', import.meta.url).href, sha256: SHIPPED_SHA256.maze15 };
