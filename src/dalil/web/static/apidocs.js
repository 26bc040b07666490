// Starts Swagger UI on /api/docs. A file of its own: the Content-Security-Policy allows no
// inline script. No validator badge (it would load an image from validator.swagger.io), and
// "try it out" from a browser session sends the session's CSRF token on unsafe requests.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var csrf = root.getAttribute("data-csrf") || "";
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      var method = (request.method || "GET").toUpperCase();
      if (csrf && ["GET", "HEAD", "OPTIONS"].indexOf(method) < 0) {
        request.headers["X-CSRF-Token"] = csrf;
      }
      return request;
    }
  });
})();
