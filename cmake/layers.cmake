# The layers of src/ (one folder each) and the layers each may use, in one
# place. Dependencies point one way, down this list:
#
#   cli -> gate -> bench -> trace -> json -> core
#                    \----> render, platform -> core
#
# src/CMakeLists.txt checks at configure time that every layer target links
# only its own layer and the layers below (nsp_layer_target /
# nsp_check_layer_links); the layers test (tests/check_layers.cmake, label
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
