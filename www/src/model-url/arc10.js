// The bundled ARC model for tasks within 10x10 (a 10x10 canvas) as { kind, url, sha256 }, for
// loadSolver({ model }) and createWorkerSolver({ model }). Its own module, so a bundler emits
// this model file only into apps that import it.
import { SHIPPED_SHA256 } from '../default-model.js';

export default { kind: 'arc', url: new URL('../../models/arc10.safetensors', import.meta.url).href, sha256: SHIPPED_SHA256.arc10 };
