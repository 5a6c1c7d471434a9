// What the signed-in person may do, as the core computed it from their roles (the session's
// `actions`). Screens use it only to leave out what would be refused: every command is
// checked again in Rust.
let allowed = new Set();

export function setActions(actions) { allowed = new Set(actions || []); }

export function may(action) { return allowed.has(action); }
