// GOV.UK's conditional reveal for a radio, without aria-expanded (ARIA allows it on no radio, so axe fails the
// page; govuk-frontend#979): the block named by a radio's data-reveal shows while that radio is checked. Without
// scripts the block simply stays open. The block follows its radio in the page, so screen readers meet it there.
for (const radio of document.querySelectorAll("input[type=radio][data-reveal]")) {
  const block = document.getElementById(radio.dataset.reveal);
  const sync = () => block.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
  for (const other of radio.form.querySelectorAll(`input[type=radio][name="${radio.name}"]`)) {
    other.addEventListener("change", sync);
  }
  sync();
}
