#ifndef DIALTONE_CSYSTEMD_SHIM_H
#define DIALTONE_CSYSTEMD_SHIM_H

// dialtone sends CODE_FILE/CODE_LINE/CODE_FUNC of the Swift call site itself; without this,
// sd_journal_sendv would be a macro stamping this header's location on every entry.
#define SD_JOURNAL_SUPPRESS_LOCATION 1

#include <sys/socket.h>
#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#endif
