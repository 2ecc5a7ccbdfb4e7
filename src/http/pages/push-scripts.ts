/**
 * The two scripts behind "Get browser notifications": the page script (register the service worker,
 * subscribe with the VAPID key, save through the signed endpoint) and the service worker (show what a push
 * carries, open its link on click). Served from our origin because the page's CSP allows only 'self'.
 */
export const PUSH_PAGE_SCRIPT_PATH = '/preferences/push.js';
/** At the root so its scope covers every page a notification may open. */
export const SERVICE_WORKER_PATH = '/push-sw.js';

/** How long the page waits for the browser's push service before saying it did not answer. */
export const SUBSCRIBE_TIMEOUT_MS = 8000;

export const PUSH_PAGE_SCRIPT = `'use strict';
(function () {
  var SUBSCRIBE_TIMEOUT_MS = ${SUBSCRIBE_TIMEOUT_MS};
  var button = document.getElementById('push-subscribe');
  var status = document.getElementById('push-status');
  if (!button || !status) return;
  function say(text, cls) { status.textContent = text; status.className = cls || 'note'; status.dataset.state = cls || 'note'; }
  function keyBytes(b64) {
    var s = (b64 + '==='.slice((b64.length + 3) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(s), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return say('This browser cannot receive notifications from websites.', 'error');
  if (!button.dataset.key) return say('Browser notifications are not set up on this server yet.', 'error');
  button.disabled = false;
  button.addEventListener('click', function () {
    button.disabled = true;
    say('Registering…');
    navigator.serviceWorker.register(button.dataset.worker)
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        say('Service worker ready; asking the browser for a subscription…', 'note');
        return Notification.requestPermission().then(function (permission) {
          if (permission !== 'granted') throw new Error('Notifications are blocked for this site in your browser settings.');
          // A browser with no push service (some Chromium builds, headless ones) never settles this promise.
          return Promise.race([
            registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(button.dataset.key) }),
            new Promise(function (_, reject) { setTimeout(function () { reject(new Error('the browser\\'s push service did not answer.')); }, SUBSCRIBE_TIMEOUT_MS); }),
          ]);
        });
      })
      .then(function (subscription) {
        return fetch(button.dataset.save, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ form: button.dataset.form, subscription: subscription.toJSON() }),
        }).then(function (res) { if (!res.ok) throw new Error('We could not save the subscription (HTTP ' + res.status + ').'); });
      })
      .then(function () { say('Done: this browser will show notifications about your orders.', 'ok'); })
      .catch(function (err) { button.disabled = false; say('Browser notifications could not be turned on: ' + (err && err.message ? err.message : err), 'error'); });
  });
})();
`;

export const SERVICE_WORKER_SCRIPT = `'use strict';
self.addEventListener('push', function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data ? event.data.text() : '' }; }
  event.waitUntil(self.registration.showNotification(data.title || 'Order update', { body: data.body || '', data: { url: data.url || '/' }, tag: data.notificationId }));
});
self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data && event.notification.data.url ? event.notification.data.url : '/'));
});
`;
