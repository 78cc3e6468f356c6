// The ES module build (`/sdk/agent-console.mjs`): `import { ParleyAgentConsole } from …`.
import { sdk } from './sdk.ts';

export const ParleyAgentConsole = sdk;
export const Comm100AgentConsole = sdk;
export default sdk;
