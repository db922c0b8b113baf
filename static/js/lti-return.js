// Posts the signed deep-linking response back to the platform as soon as the page loads (a
// static file, not an inline script, so it runs under a Content-Security-Policy without 'unsafe-inline').
document.getElementById("lti-deep-link-return")?.submit();
