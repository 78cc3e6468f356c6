// The SDK's classic script, `/sdk/agent-console.js` (see sdk.config.ts).
import { sdkBuild } from './sdk.config.ts';

export default sdkBuild('iife');
