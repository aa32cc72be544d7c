// Page changes without a reload: the gateway answers every /ui/ path with index.html.
export function navigate(to) {
  history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}
