// The SDK's ES module, `/sdk/agent-console.mjs` (see sdk.config.ts).
import { sdkBuild } from './sdk.config.ts';

export default sdkBuild('es');
