#!/usr/bin/env node
// `npx weft …`: the Weft command line (users, groups, tokens, secrets). Plain Node
// entry that loads the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./weft-cli.ts');
