// The only door to the Rust side: every call goes through a Tauri command.
const core = window.__TAURI__ && window.__TAURI__.core;

// Rust refuses every command once the session is locked or gone; the app then shows the
// lock or login screen instead of an error in the middle of a form.
let sessionLost = () => {};
export function onSessionLost(fn) { sessionLost = fn; }

// Told of every call that failed because the database is unreachable (kind "offline"),
// so the window can show its banner at once instead of at the next poll.
let offlineListener = null;
export function onOffline(fn) { offlineListener = fn; }

// Told of every command that succeeded, by name (the banner of changes waiting to be sent
// counts again after the window's own changes).
let calledListener = () => {};
export function onCalled(fn) { calledListener = fn; }

// `options` carries headers when `args` is raw bytes (a chosen file for `stage_file`).
export async function call(command, args = {}, options = undefined) {
  if (!core) {
    throw { kind: 'internal', message: 'Tauri IPC is not available', fields: [] };
  }
  try {
    const result = await core.invoke(command, args, options);
    calledListener(command);
    return result;
  } catch (e) {
    const error = (e && typeof e === 'object' && 'message' in e)
      ? e : { kind: 'internal', message: String(e), fields: [] };
    if (error.kind === 'offline' && offlineListener) offlineListener(error);
    // A disabled account's session ends in Rust at its next call: back to the login screen.
    if (['session_locked', 'not_logged_in', 'account_disabled'].includes(error.kind)) sessionLost(error.kind);
    throw error;
  }
}
