# Install rules: the library, its public headers, an export set (smtpspec::smtpspec), a CMake
# package (smtpspecConfig.cmake + version file) and a pkg-config file. Included from the top-level
# CMakeLists.txt when SMTPSPEC_INSTALL is ON. Tested by tests/install/run.sh.
include(CMakePackageConfigHelpers)

set(SMTPSPEC_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/smtpspec"
  CACHE STRING "Where smtpspecConfig.cmake is installed, relative to the prefix")
set(SMTPSPEC_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
  CACHE STRING "Where smtpspec.pc is installed, relative to the prefix")

# PEGTL and the grammar are linked as $<BUILD_INTERFACE:...> (see the top level), so the export
# names no dependency even for the static library: consumers need only what is installed here.
install(TARGETS smtpspec EXPORT smtpspecTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/smtpspec"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  FILES_MATCHING PATTERN "*.hpp" PATTERN "*.inc")

# (tools/CMakeLists.txt installs the command-line tool itself.)

install(EXPORT smtpspecTargets
  NAMESPACE smtpspec::
  FILE smtpspecTargets.cmake
  DESTINATION "${SMTPSPEC_INSTALL_CMAKEDIR}")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/smtpspecConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/smtpspecConfig.cmake"
  INSTALL_DESTINATION "${SMTPSPEC_INSTALL_CMAKEDIR}")
# 0.x: a minor release may break the API, so only the same minor version is compatible.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/smtpspecConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/smtpspecConfig.cmake"
  "${PROJECT_BINARY_DIR}/smtpspecConfigVersion.cmake"
  DESTINATION "${SMTPSPEC_INSTALL_CMAKEDIR}")

# pkg-config: paths relative to ${pcfiledir}, so `cmake --install --prefix <elsewhere>` still gives
# a correct file. Absolute install dirs are used as they are.
function(_smtpspec_pc_path out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "\${prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()
if(IS_ABSOLUTE "${SMTPSPEC_INSTALL_PKGCONFIGDIR}")
  set(SMTPSPEC_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _rel "/p/${SMTPSPEC_INSTALL_PKGCONFIGDIR}" "/p")
  string(REGEX REPLACE "/$" "" _rel "${_rel}")
  set(SMTPSPEC_PC_PREFIX "\${pcfiledir}/${_rel}")
endif()
_smtpspec_pc_path(SMTPSPEC_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
_smtpspec_pc_path(SMTPSPEC_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/smtpspec.pc.in"
  "${PROJECT_BINARY_DIR}/smtpspec.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/smtpspec.pc"
  DESTINATION "${SMTPSPEC_INSTALL_PKGCONFIGDIR}")
