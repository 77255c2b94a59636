# The layers of src/ (one folder each) and the layers each may use, in one
# place. Dependencies point one way, down this list:
#
#   cli -> gate -> bench -> trace -> json -> core
#                    \----> render, platform -> core
#
# src/CMakeLists.txt checks at configure time that every layer target links
# only its own layer and the layers below (nsp_layer_target /
# nsp_check_links), tests/CMakeLists.txt the same of each module's test; the
# layers test (tests/check_layers.cmake, label
# unit) checks every #include "layer/..." in src/ against the same table.
# trace and json are room for the trace layer and the shared JSON helper.
set(NSP_LAYERS core json trace render platform bench gate cli)
set(NSP_LAYER_USES_core "")
set(NSP_LAYER_USES_json core)
set(NSP_LAYER_USES_trace core json)
set(NSP_LAYER_USES_render core)
set(NSP_LAYER_USES_platform core)
set(NSP_LAYER_USES_bench core json trace render platform)
set(NSP_LAYER_USES_gate core json trace bench)
set(NSP_LAYER_USES_cli core json trace render platform bench gate)

# Whether layer `from` may use layer `to` (its own layer included); sets out.
function(nsp_layer_allows from to out)
  if(from STREQUAL to OR to IN_LIST NSP_LAYER_USES_${from})
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

# Fails the configuration when target (of layer) links a layer target that
# layer may not use. Only direct links are checked: each library's own are
# checked where it is defined.
function(nsp_check_links target layer)
  get_target_property(deps ${target} LINK_LIBRARIES)
  foreach(d IN LISTS deps)
    if(TARGET ${d})
      get_target_property(dl ${d} NSP_LAYER)
      if(dl)
        nsp_layer_allows(${layer} ${dl} ok)
        if(NOT ok)
          set(uses "${NSP_LAYER_USES_${layer}}")
          if(NOT uses)
            set(uses "no other layer")
          endif()
          message(FATAL_ERROR "${target} (layer ${layer}) links ${d} (layer ${dl}), which cmake/layers.cmake "
                              "does not allow: ${layer} may use ${uses}")
        endif()
      endif()
    endif()
  endforeach()
endfunction()
