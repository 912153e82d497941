/**
 * Ties the remotes to the vault's lock state: on unlock the sealed remote list is opened
 * with the vault's key and every remote starts; on lock every remote stops and its
 * secrets are zeroed. Add/remove rewrite the sealed list.
 */
import { fail, ok, type Result } from '../../shared/errors.js';
import type { VaultState } from '../daemon/vault-state.js';
import { RemoteManager, type RemoteOptions } from './remote-manager.js';
import { loadRemotes, type RemoteConfig, saveRemotes } from './remote-store.js';

export interface RemoteControl {
  manager: RemoteManager;
  add(cfg: RemoteConfig): Promise<Result<void>>;
  remove(name: string): Result<void>;
}

export function remoteOptionsFromEnv(env: NodeJS.ProcessEnv, log: (l: string) => void): RemoteOptions {
  const num = (v: string | undefined, d: number) => (v !== undefined && /^\d+(\.\d+)?$/.test(v) ? Number(v) : d);
  return { refreshMs: Math.max(200, num(env.BLINDFILL_REMOTE_REFRESH_S, 5) * 1000), graceMs: num(env.BLINDFILL_REMOTE_GRACE_S, 300) * 1000, now: Date.now, log };
}

export function attachRemotes(vault: VaultState, home: string, opts: RemoteOptions): RemoteControl {
  const manager = new RemoteManager(opts);
  vault.setOverlay(manager);
  let loaded = false;
  vault.onChange(() => {
    if (!vault.isUnlocked) {
      if (loaded) manager.stopAll();
      loaded = false;
      return;
    }
    if (loaded) return;
    loaded = true;
    const k = vault.remotesKey();
    if (!k) return;
    const cfgs = loadRemotes(home, k.key, k.vaultId);
    k.key.fill(0);
    if (!cfgs.ok) {
      opts.log(`remotes not loaded: ${cfgs.code}: ${cfgs.message}`);
      return;
    }
    for (const c of cfgs.value) void manager.start(c);
  });

  const save = (cfgs: RemoteConfig[]): Result<void> => {
    const k = vault.remotesKey();
    if (!k) return fail('VAULT_LOCKED', 'the vault is locked: run `blindfill unlock`');
    try {
      return saveRemotes(home, k.key, k.vaultId, cfgs);
    } finally {
      k.key.fill(0);
    }
  };

  return {
    manager,
    async add(cfg) {
      if (!vault.isUnlocked) return fail('VAULT_LOCKED', 'the vault is locked: run `blindfill unlock`');
      if (manager.has(cfg.name)) return fail('INVALID_REQUEST', `a remote named "${cfg.name}" already exists (remove it first)`);
      const first = await manager.start(cfg);
      if (!first.ok) {
        manager.remove(cfg.name);
        return first;
      }
      const saved = save(manager.configs());
      if (!saved.ok) manager.remove(cfg.name);
      return saved;
    },
    remove(name) {
      if (!vault.isUnlocked) return fail('VAULT_LOCKED', 'the vault is locked: run `blindfill unlock`');
      if (!manager.has(name)) return fail('INVALID_REQUEST', `no remote is named "${name}"`);
      const rest = manager.configs().filter((c) => c.name !== name);
      const saved = save(rest);
      if (!saved.ok) return saved;
      manager.remove(name);
      return ok(undefined);
    },
  };
}
