// Starts GOV.UK Frontend's components (error summary focus, navigation toggle, radios…).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
