/*  common/json.h - MessagePack <-> JSON for samenctl (through json-c).

    JSON to MessagePack: objects, arrays, strings, integers (int64), true,
    false, null. A JSON number with a fraction or exponent is refused: samen
    has no fractional numbers on the wire (money is whole cents).
    MessagePack to JSON: binary values become base64-less hex strings,
    floats are written as numbers, map keys that are not text are skipped.
*/
#ifndef SAMEN_JSON_H
#define SAMEN_JSON_H

#include "codec.h"
#include "err.h"

/*  Parse JSON text and pack it onto pk. Returns 0 or -1 with err naming field. */
int sm_json_to_msgpack(const char *text, msgpack_packer *pk, const char *field, sm_err_t *err);

/*  Render o as JSON; pretty when pretty. Returns a malloc'd string (caller frees). */
char *sm_msgpack_to_json(const msgpack_object *o, bool pretty);

#endif
