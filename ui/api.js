// The only door to the Rust side: every call goes through a Tauri command.
const core = window.__TAURI__ && window.__TAURI__.core;

export async function call(command, args = {}) {
  if (!core) {
    throw { kind: 'internal', message: 'Tauri IPC is not available', fields: [] };
  }
  try {
    return await core.invoke(command, args);
  } catch (e) {
    if (e && typeof e === 'object' && 'message' in e) throw e;
    throw { kind: 'internal', message: String(e), fields: [] };
  }
}
