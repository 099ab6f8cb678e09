# ICU for the WebAssembly build (issue 3; ../shared/TOOLCHAIN.md "ICU in WebAssembly").
#
# The native build links Debian's libicu; this compiles the same ICU release from Debian's source
# package, pinned to the installed libicu-dev, so both builds give the same IDNA and NFC answers:
#  - tools/fetch-icu-source.sh fetches and unpacks the source once into SMTPSPEC_ICU_SOURCE_CACHE
#    (a second configure, or another build directory sharing the cache, does not fetch again);
#  - every source/common/*.cpp goes into the static archive smtpspec_icu_common (no ICU configure
#    needed; the linker keeps only what smtpspec calls), built by ninja alongside everything else;
#  - the data: NFC/NFD tables are compiled into common/, UTS #46 needs the item uts46.nrm, so a data
#    package holding only that item is compiled in as ICU's linked-in data (icudt72_dat): no data
#    file to ship, no init call. Any other item (NFKC, names, …) fails in WASM with
#    U_FILE_ACCESS_ERROR: add it to SMTPSPEC_ICU_DATA_ITEMS.
# Consumers see an include folder holding only a `unicode/` link: common/'s internal headers must not
# shadow smtpspec's.

set(SMTPSPEC_ICU_SOURCE_CACHE "${CMAKE_BINARY_DIR}/icu-source" CACHE PATH
  "Where tools/fetch-icu-source.sh keeps Debian's ICU source for the WebAssembly build")
set(SMTPSPEC_ICU_DATA_ITEMS uts46.nrm CACHE STRING
  "ICU data items compiled into the WebAssembly build")
# -O2, not -Oz: -Oz saved only ~10 KB of the linked .wasm (~5 KB gzip) and its IDNA/NFC ran ~15%
# slower here (TOOLCHAIN.md: ~40%); the package targets Node, where run time matters more.
set(SMTPSPEC_ICU_WASM_OPT -O2 CACHE STRING "Optimisation flag for ICU's common/ in WebAssembly")

execute_process(
  COMMAND bash "${PROJECT_SOURCE_DIR}/tools/fetch-icu-source.sh" "${SMTPSPEC_ICU_SOURCE_CACHE}"
  RESULT_VARIABLE _icu_fetch)
if(NOT _icu_fetch EQUAL 0)
  message(FATAL_ERROR "tools/fetch-icu-source.sh failed (${_icu_fetch}); ICU's source is needed for "
    "the WebAssembly build (run tools/setup.sh for dpkg-dev and libicu-dev)")
endif()
set(_icu "${SMTPSPEC_ICU_SOURCE_CACHE}/icu/source")
set(SMTPSPEC_ICU_WASM_SOURCE "${_icu}")  # for wasm/CMakeLists.txt's parity test (Unicode's test files)
# Re-run configure when the pinned source changes (libicu-dev upgraded, cache removed).
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  "${SMTPSPEC_ICU_SOURCE_CACHE}/icu.version" "${PROJECT_SOURCE_DIR}/tools/fetch-icu-source.sh")

file(STRINGS "${_icu}/common/unicode/uvernum.h" _icu_major_line
  REGEX "^#define U_ICU_VERSION_MAJOR_NUM [0-9]+")
string(REGEX REPLACE ".* ([0-9]+)$" "\\1" _icu_major "${_icu_major_line}")
if(NOT _icu_major EQUAL 72)
  message(FATAL_ERROR "ICU ${_icu_major} in ${_icu}: smtpspec pins ICU 72 (libicu-dev)")
endif()

# The data package: only the listed items, named exactly icudt72l so that ICU accepts it as its own.
find_program(SMTPSPEC_ICUPKG icupkg HINTS /usr/sbin /usr/bin REQUIRED)
find_program(SMTPSPEC_GENCCODE genccode HINTS /usr/sbin /usr/bin REQUIRED)
set(_icu_data_dir "${CMAKE_BINARY_DIR}/icu-data")
set(_icu_data_name "icudt${_icu_major}l")
set(_icu_data_c "${_icu_data_dir}/${_icu_data_name}_dat.c")
# icupkg reads an item list from a file whose name ends in .txt.
string(REPLACE ";" "\n" _icu_items_text "${SMTPSPEC_ICU_DATA_ITEMS}")
file(CONFIGURE OUTPUT "${_icu_data_dir}/items.txt" CONTENT "${_icu_items_text}\n" @ONLY)
add_custom_command(OUTPUT "${_icu_data_c}"
  COMMAND ${CMAKE_COMMAND} -E rm -rf "${_icu_data_dir}/items" "${_icu_data_dir}/pkg"
  COMMAND ${CMAKE_COMMAND} -E make_directory "${_icu_data_dir}/items" "${_icu_data_dir}/pkg"
  COMMAND "${SMTPSPEC_ICUPKG}" -d "${_icu_data_dir}/items" -x "${_icu_data_dir}/items.txt"
    "${_icu}/data/in/${_icu_data_name}.dat"
  COMMAND "${SMTPSPEC_ICUPKG}" -s "${_icu_data_dir}/items" -tl -a "${_icu_data_dir}/items.txt"
    new "${_icu_data_dir}/pkg/${_icu_data_name}.dat"
  COMMAND "${SMTPSPEC_GENCCODE}" -q -d "${_icu_data_dir}"
    "${_icu_data_dir}/pkg/${_icu_data_name}.dat"
  DEPENDS "${_icu}/data/in/${_icu_data_name}.dat" "${_icu_data_dir}/items.txt"
  COMMENT "ICU data package (${SMTPSPEC_ICU_DATA_ITEMS}) for WebAssembly"
  VERBATIM)

# The data array is C (as C++ its `const` would have internal linkage), compiled without ICU's
# implementation macros. genccode names it after the package (icudt72l_dat); ICU looks for its
# linked-in data under U_ICUDATA_ENTRY_POINT (icudt72_dat).
enable_language(C)
add_library(smtpspec_icu_data OBJECT "${_icu_data_c}")
target_include_directories(smtpspec_icu_data PRIVATE "${_icu}/common")
target_compile_definitions(smtpspec_icu_data PRIVATE "${_icu_data_name}_dat=icudt${_icu_major}_dat")

file(GLOB _icu_common_sources CONFIGURE_DEPENDS "${_icu}/common/*.cpp")
add_library(smtpspec_icu_common STATIC ${_icu_common_sources} $<TARGET_OBJECTS:smtpspec_icu_data>)
target_include_directories(smtpspec_icu_common PRIVATE "${_icu}/common")
target_compile_definitions(smtpspec_icu_common PRIVATE
  U_COMMON_IMPLEMENTATION U_STATIC_IMPLEMENTATION U_ATTRIBUTE_DEPRECATED=)
# ICU's own settings, not smtpspec's: C++17, no warnings policy of ours; errors are UErrorCode values,
# so it needs no exception support either.
set_target_properties(smtpspec_icu_common PROPERTIES CXX_STANDARD 17 CXX_EXTENSIONS OFF)
target_compile_options(smtpspec_icu_common PRIVATE ${SMTPSPEC_ICU_WASM_OPT}
  -fno-exceptions)

set(_icu_include "${CMAKE_BINARY_DIR}/icu-include")
file(MAKE_DIRECTORY "${_icu_include}")
file(REMOVE "${_icu_include}/unicode")
file(CREATE_LINK "${_icu}/common/unicode" "${_icu_include}/unicode" SYMBOLIC)
target_include_directories(smtpspec_icu SYSTEM INTERFACE "$<BUILD_INTERFACE:${_icu_include}>")
target_compile_definitions(smtpspec_icu INTERFACE U_STATIC_IMPLEMENTATION)
target_link_libraries(smtpspec_icu INTERFACE $<BUILD_INTERFACE:smtpspec_icu_common>)
