/* main.c: edgelog's entry point: parse the command line, run the command,
 * return its exit code. Everything else lives in options.c and run.c. */
#include <locale.h>

#include "cli_int.h"

int main(int argc, char **argv)
{
    struct el_cli cli;
    bool done;

    /* Output must not depend on the user's locale (decimal points, sorting). */
    setlocale(LC_ALL, "C");
    el_outfile_on_signals();
    int code = el_cli_parse(argc, argv, &cli, &done);
    if (code != EL_EXIT_OK || done)
        return code;
    return el_cli_run(&cli);
}
