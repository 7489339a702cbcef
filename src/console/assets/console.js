// Progressive enhancement only: every action also works as a plain form POST without this file.
(function () {
  'use strict';
  const ready = (fn) => (document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', fn) : fn());
  ready(() => {
    // Copy to Clipboard buttons.
    document.querySelectorAll('[data-copy]').forEach((button) => {
      button.addEventListener('click', async () => {
        const input = document.querySelector(button.getAttribute('data-copy'));
        if (!input) return;
        try {
          await navigator.clipboard.writeText(input.value);
        } catch {
          input.select();
          document.execCommand('copy');
        }
        const label = button.textContent;
        button.textContent = 'Copied';
        setTimeout(() => (button.textContent = label), 1500);
      });
    });
    // Fields shown only for a choice (Supported APIs, the User of Client Credentials).
    const toggles = [];
    document.querySelectorAll('[data-hidden-when-checked]').forEach((el) => toggles.push([el, el.getAttribute('data-hidden-when-checked'), true]));
    document.querySelectorAll('[data-shown-when-checked]').forEach((el) => toggles.push([el, el.getAttribute('data-shown-when-checked'), false]));
    const apply = () => toggles.forEach(([el, selector, hideWhenChecked]) => {
      const box = document.querySelector(selector);
      if (box) el.hidden = hideWhenChecked ? box.checked : !box.checked;
    });
    document.addEventListener('change', apply);
    apply();
    // Close <details> menus on Escape and on outside clicks.
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      document.querySelectorAll('details.tg-menu[open]').forEach((d) => { d.open = false; d.querySelector('summary').focus(); });
    });
    document.addEventListener('click', (e) => {
      document.querySelectorAll('details.tg-menu[open]').forEach((d) => { if (!d.contains(e.target)) d.open = false; });
    });
    // A menu item that opens a dialog closes its menu first (it stayed open behind the dialog),
    // and focus goes back to the menu's button when the dialog closes (its item is hidden then).
    const dialog = document.getElementById('confirm-dialog');
    document.querySelectorAll('details.tg-menu [data-bs-toggle="modal"], details.tg-menu [data-confirm]').forEach((item) => {
      item.addEventListener('click', () => {
        const menu = item.closest('details');
        const opened = item.hasAttribute('data-confirm') ? dialog : document.querySelector(item.getAttribute('data-bs-target'));
        if (!menu || !opened || !window.bootstrap) return;
        menu.open = false;
        opened.addEventListener('hidden.bs.modal', () => menu.querySelector('summary').focus(), { once: true });
      });
    });
    // Confirmations in a modal dialog (without JS the link opens a confirmation page).
    if (dialog && window.bootstrap) {
      const modal = window.bootstrap.Modal.getOrCreateInstance(dialog);
      document.querySelectorAll('[data-confirm]').forEach((link) => {
        link.addEventListener('click', (e) => {
          e.preventDefault();
          document.getElementById('confirm-question').textContent = link.getAttribute('data-confirm');
          document.getElementById('confirm-button').textContent = link.getAttribute('data-confirm-button');
          document.getElementById('confirm-form').action = link.getAttribute('data-action');
          document.getElementById('confirm-return').value = link.getAttribute('data-return') || '';
          modal.show(link);
        });
      });
    }
    // A dialog that has something to show at once (the credentials after Add Application).
    document.querySelectorAll('.modal[data-show-on-load]').forEach((el) => window.bootstrap && window.bootstrap.Modal.getOrCreateInstance(el).show());
  });
})();
