//! Typed Google API calls with the access token Alexa supplies.
