// Runs at the start of <body>, before content renders, so GOV.UK Frontend styles for
// JavaScript-enhanced components apply without a flash. A file, not inline, so a strict
// Content-Security-Policy (script-src 'self') needs no exception.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
