// Starts GOV.UK Frontend's components (error summary focus, service navigation toggle,
// conditional reveals) and re-initialises them inside content that htmx swaps in.
import { createAll, initAll, ErrorSummary } from '../govuk/govuk-frontend.min.js'

initAll()

document.body.addEventListener('htmx:afterSettle', (event) => {
  const scope = event.target
  if (scope instanceof HTMLElement) {
    createAll(ErrorSummary, undefined, { scope })
  }
})
