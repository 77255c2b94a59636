// A core file that includes a layer above it: the layers test must name it.
#include "core/error.h"
#include "gate/gate.h"
