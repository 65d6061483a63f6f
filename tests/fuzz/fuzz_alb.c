/* fuzz_alb.c: the ALB access-log parser, line by line (fuzz_lines.h). */
#include "fuzz_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_line_parser(&el_parser_alb, (struct el_str){ 0 }, data, size);
}
