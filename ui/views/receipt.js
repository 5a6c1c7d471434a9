// Printing or opening a dossier's receipt from a button, the outcome written in a status
// line beside it: the dossier panel and the preview after saving both offer these.
import { call } from '../api.js';
import { t } from '../i18n.js';

// `issue(command)` is a click handler for `print_receipt` or `open_receipt`; a reprint says
// which copy it was.
export function receiptIssuer(status, code) {
  return (command) => async () => {
    status.className = 'receipt-status';
    status.textContent = '…';
    try {
      const r = await call(command, { code });
      status.className = 'receipt-status ok';
      status.textContent = (command === 'print_receipt' ? t('ui.printed') : t('ui.opened')) +
        (r.reprint ? ` (${t('cli.reprint')} ${r.reprint})` : '');
    } catch (e) {
      status.className = 'receipt-status banner error';
      status.textContent = e.message;
    }
  };
}
