/* fuzz_apigw_access.c: the API Gateway access-log parser (JSON, CLF, CSV
 * and XML presets, custom JSON), line by line and as event messages
 * (fuzz_lines.h). */
#include "fuzz_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_line_parser(&el_parser_apigw_access, EL_STR_LIT("/aws/apigw/access"), data,
                            size);
}
