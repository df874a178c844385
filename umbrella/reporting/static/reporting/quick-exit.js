// Quick exit: leave at once and replace this page in the history, so Back does not return.
// Without JavaScript the button is an ordinary link to the same place.
document.addEventListener('click', function (event) {
  var link = event.target instanceof Element ? event.target.closest('[data-quick-exit]') : null
  if (!link) return
  event.preventDefault()
  document.title = ''
  document.body.style.visibility = 'hidden'
  window.location.replace(link.href)
})
