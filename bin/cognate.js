#!/usr/bin/env node
// The `cognate` command: runs the TypeScript CLI through tsx (no build step needed).
import { register } from 'tsx/esm/api';

// The SDK v3 warns on Node 20 about its 2027 releases; the CLI pins a version that supports Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../src/cli/index.ts');
