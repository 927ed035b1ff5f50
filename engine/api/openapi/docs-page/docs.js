// The /api/docs page: fetches /api/openapi.json with the caller's credentials
// (a browser session, or a token pasted in another Weft page of this tab:
// sessionStorage 'weft.apiToken', as modeler/src/shared/weft-fetch.ts keeps it)
// and shows it with Swagger UI. "Try it out" sends the same credentials, and a
// session's CSRF token on requests that change something.
(function () {
  'use strict';
  var TOKEN_KEY = 'weft.apiToken';
  var status = document.getElementById('weft-docs-status');
  var token = sessionStorage.getItem(TOKEN_KEY);
  var auth = token ? { authorization: 'Bearer ' + token } : {};
  var csrf = null;

  function say(text, link) {
    status.textContent = text;
    if (link) {
      var a = document.createElement('a');
      a.href = link.href;
      a.textContent = link.text;
      status.append(' ', a);
    }
  }

  fetch('/api/me', { credentials: 'same-origin', headers: Object.assign({ accept: 'application/json' }, auth) })
    .then(function (res) { return res.ok ? res.json() : null; })
    .then(function (me) { csrf = me && me.csrfToken; })
    .catch(function () {})
    .then(function () { return fetch('/api/openapi.json', { credentials: 'same-origin', headers: Object.assign({ accept: 'application/json' }, auth) }); })
    .then(function (res) {
      if (res.status === 401) {
        say('The API description is for signed-in callers.', { href: '/sign-in?next=' + encodeURIComponent('/api/docs'), text: 'Sign in' });
        return null;
      }
      if (!res.ok) throw new Error('GET /api/openapi.json answered ' + res.status);
      return res.json();
    })
    .then(function (spec) {
      if (!spec) return;
      say('');
      window.SwaggerUIBundle({
        spec: spec,
        domNode: document.getElementById('swagger-ui'),
        // Deep links put an <a> inside each operation's toggle button (nested controls, axe's nested-interactive).
        deepLinking: false,
        // No call to validator.swagger.io: the page reaches nothing but this server.
        validatorUrl: null,
        requestInterceptor: function (request) {
          if (token && !request.headers.authorization && !request.headers.Authorization) request.headers.authorization = 'Bearer ' + token;
          if (csrf && request.method && request.method.toUpperCase() !== 'GET') request.headers['x-csrf-token'] = csrf;
          return request;
        },
      });
    })
    .catch(function (error) { say('Could not load the API description: ' + error.message); });
})();
