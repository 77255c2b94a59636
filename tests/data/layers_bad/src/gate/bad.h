// A gate file that includes the render layer (gate gets it through bench).
#include "render/render.h"
