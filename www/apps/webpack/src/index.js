import { createWorkerSolver } from 'trm-web/worker-client';
import { showSteps } from '../../common/show-steps.js';

showSteps(createWorkerSolver);
