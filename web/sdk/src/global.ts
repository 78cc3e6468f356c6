// The classic script (`/sdk/agent-console.js`): sets `window.ParleyAgentConsole` and, so that code
// written to the spec's example runs unchanged, `window.Comm100AgentConsole` as the same object.
import { sdk } from './sdk.ts';

window.ParleyAgentConsole = sdk;
window.Comm100AgentConsole = sdk;
