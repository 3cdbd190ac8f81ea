#ifndef RKT_CARCHIVE_SHIM_H
#define RKT_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

/* File-type constants: AE_IF* are macros with casts that Swift cannot import. */
static const unsigned int rkt_ae_ifmt = AE_IFMT;
static const unsigned int rkt_ae_ifreg = AE_IFREG;
static const unsigned int rkt_ae_ifdir = AE_IFDIR;
static const unsigned int rkt_ae_iflnk = AE_IFLNK;
static const unsigned int rkt_ae_ifchr = AE_IFCHR;
static const unsigned int rkt_ae_ifblk = AE_IFBLK;
static const unsigned int rkt_ae_ififo = AE_IFIFO;
static const unsigned int rkt_ae_ifsock = AE_IFSOCK;

#endif
