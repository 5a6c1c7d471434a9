// The only door to the Rust side: every call goes through a Tauri command.
const core = window.__TAURI__ && window.__TAURI__.core;

// Rust refuses every command once the session is locked or gone; the app then shows the
// lock or login screen instead of an error in the middle of a form.
let sessionLost = () => {};
export function onSessionLost(fn) { sessionLost = fn; }

export async function call(command, args = {}) {
  if (!core) {
    throw { kind: 'internal', message: 'Tauri IPC is not available', fields: [] };
  }
  try {
    return await core.invoke(command, args);
  } catch (e) {
    if (e && typeof e === 'object' && 'message' in e) {
      if (e.kind === 'session_locked' || e.kind === 'not_logged_in') sessionLost(e.kind);
      throw e;
    }
    throw { kind: 'internal', message: String(e), fields: [] };
  }
}
