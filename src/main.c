/* taseuranta: the command line.  Only parses the command and hands over to the modules. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("taseuranta %s\n", TASEURANTA_VERSION);
        return 0;
    }
    fprintf(stderr, "usage: taseuranta check|build|new-round ... (see --help)\n");
    return 2;
}
