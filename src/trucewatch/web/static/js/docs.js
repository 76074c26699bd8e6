// Starts the vendored Swagger UI on /openapi.json (kept out of the page: the CSP allows no inline script).
window.addEventListener("DOMContentLoaded", function () {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
