# Placeholder: issue 3 builds ICU's common/ library and the uts46 data for Emscripten here and
# links it into smtpspec_icu.
