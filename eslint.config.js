// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The rooms, and which rooms each may import (besides itself and npm packages). This is the
 * "may import" line of each folder's README, enforced: an import that crosses into a room not
 * listed is a lint error. test/ may import anything.
 */
const ROOMS = {
  model: [],
  preload: ['model'],
  renderer: ['model', 'preload'],
  'main/clock': [],
  'main/connectivity': ['model', 'main/clock'],
  'main/vendors': ['model'],
  'main/emulator': ['model'],
  'main/capture': ['model'],
  'main/secrets': ['model'],
  'main/queue': ['model', 'main/clock', 'main/connectivity', 'main/secrets', 'main/vendors'],
  'main/session': [
    'model',
    'main/capture',
    'main/connectivity',
    'main/queue',
    'main/secrets',
    'main/vendors',
  ],
  'main/settings': ['model'],
  // The staff console's PIN, lockout and sign-in (headless; its UI comes later).
  'main/staff': ['model', 'main/clock'],
  'main/log': ['model', 'main/queue'],
  // "Save diagnostics" and `kiosk-verify diagnostics`: reads the kiosk's parts, packs a tar.gz.
  'main/diagnostics': ['model', 'main/audit', 'main/queue', 'main/secrets', 'main/settings'],
  // The tamper-evident audit trail: its own SQLite file; the queue and the sessions are wired
  // to it in main/services.ts.
  'main/audit': ['model', 'main/clock'],
  'main/ipc': [
    'model',
    'preload',
    'main/audit',
    'main/connectivity',
    'main/failures',
    'main/queue',
    'main/secrets',
    'main/session',
    'main/settings',
    'main/staff',
    'main/vendors',
  ],
  // The one mapping from every typed failure to the border's code and the CLI's exit code.
  'main/failures': [
    'model',
    'preload',
    'main/audit',
    'main/settings',
    'main/staff',
    'main/capture',
    'main/queue',
    'main/secrets',
    'main/session',
    'main/vendors',
  ],
  // The composition root (main/services.ts) may use every service room; only the CLI and the
  // Electron entry use it.
  'main/cli': [
    'model',
    'main/services.ts',
    'main/diagnostics',
    'main/log',
    'main/settings',
    'main/failures',
    'main/capture',
    'main/clock',
    'main/emulator',
    'main/queue',
    'main/secrets',
    'main/staff',
    'main/vendors',
    'main/audit',
  ],
  'main/electron': [
    'model',
    'preload',
    'main/services.ts',
    'main/kiosk.ts',
    'main/ipc',
    'main/queue',
    'main/secrets',
  ],
  // The browser harness (npm run web): the renderer in Chromium over a loopback WebSocket.
  'main/web': [
    'model',
    'preload',
    'main/kiosk.ts',
    'main/failures',
    'main/ipc',
    'main/queue',
    'main/secrets',
  ],
};
const SERVICES_MAY_IMPORT = [
  'model',
  'main/diagnostics',
  'preload',
  'main/settings',
  'main/capture',
  'main/clock',
  'main/ipc',
  'main/connectivity',
  'main/log',
  'main/audit',
  'main/staff',
  'main/queue',
  'main/secrets',
  'main/session',
  'main/vendors',
];
/** main/kiosk.ts: the kiosk as a whole (training mode, events), on top of services.ts. */
const KIOSK_MAY_IMPORT = [
  'model',
  'preload',
  'main/services.ts',
  'main/emulator',
  'main/ipc',
  'main/secrets',
  'main/settings',
];
const ALL_ROOMS = [...Object.keys(ROOMS), 'main/services.ts', 'main/kiosk.ts'];

/** Import specifiers that reach a room: relative paths ending in its folder (or file). */
function patternsFor(room) {
  const leaf = room.split('/').pop();
  return room.endsWith('.ts')
    ? [`**/${room.replace(/^main\//, '').replace(/\.ts$/, '.js')}`]
    : room.startsWith('main/')
      ? [`**/main/${leaf}`, `**/main/${leaf}/**`, `../${leaf}`, `../${leaf}/**`, `../../${leaf}/**`]
      : [`**/${leaf}`, `**/${leaf}/**`];
}

/** Only main/electron/ and preload/ load electron at runtime; type imports are fine. */
const RUNTIME_ELECTRON = {
  name: 'electron',
  message:
    'Only main/electron/ and preload/ import electron at runtime; use `import type` and pass objects in.',
  allowTypeImports: true,
};

/** Node's modules, for the rooms that run in the browser too (DOM-safe). */
const NODE_MODULES = { group: ['node:*'], message: 'This room is DOM-safe: no Node modules.' };

function restrictedImports(room, mayImport, { electron = false, domSafe = false } = {}) {
  const denied = ALL_ROOMS.filter((other) => other !== room && !mayImport.includes(other));
  return {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: electron ? [] : [RUNTIME_ELECTRON],
        patterns: [
          ...denied.map((other) => ({
            group: patternsFor(other),
            message: `${room} may not import ${other} (see eslint.config.js ROOMS and the folder READMEs).`,
          })),
          ...(domSafe ? [NODE_MODULES] : []),
        ],
      },
    ],
  };
}

const roomConfigs = Object.entries(ROOMS).map(([room, mayImport]) => ({
  files: [`${room}/**/*.{ts,tsx}`],
  rules: restrictedImports(room, mayImport, {
    electron: room === 'main/electron' || room === 'preload',
    domSafe: room === 'model' || room === 'renderer',
  }),
}));

/** Raw IPC modules only in the two wrapper files: everything else goes through the contract. */
const rawIpc = (name, wrapper) => ({
  files: [name === 'ipcMain' ? 'main/electron/**/*.ts' : 'preload/**/*.ts'],
  ignores: [wrapper],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [
          {
            name: 'electron',
            importNames: [name],
            message: `Only ${wrapper} touches ${name}; use the typed contract (preload/contract.ts).`,
          },
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // A promise nobody awaits or catches fails silently; one passed where a plain callback is
      // expected is never awaited. Both hide errors in a kiosk nobody watches.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [RUNTIME_ELECTRON] }],
    },
  },
  ...roomConfigs,
  {
    files: ['main/services.ts'],
    rules: restrictedImports('main/services.ts', SERVICES_MAY_IMPORT),
  },
  {
    files: ['main/kiosk.ts'],
    rules: restrictedImports('main/kiosk.ts', KIOSK_MAY_IMPORT),
  },
  rawIpc('ipcMain', 'main/electron/ipc.ts'),
  rawIpc('ipcRenderer', 'preload/index.ts'),
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['*.config.ts', '*.config.js', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
