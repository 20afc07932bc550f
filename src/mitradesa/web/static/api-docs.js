// The API docs page (/api/v1/docs): Swagger UI served by the app itself (static/vendor/
// swagger-ui), started here rather than in an inline script (the CSP allows none).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    validatorUrl: null,  // no call to an outside validator
    presets: [SwaggerUIBundle.presets.apis]
  });
})();
