// SwiftPM defines DEBUG=1 for debug builds, which collides with apt's `enum MsgType { DEBUG }`.
#undef DEBUG

#include "ampfix_apt.h"

#include <apt-pkg/cachefile.h>
#include <apt-pkg/configuration.h>
#include <apt-pkg/debversion.h>
#include <apt-pkg/error.h>
#include <apt-pkg/init.h>
#include <apt-pkg/pkgcache.h>
#include <apt-pkg/pkgsystem.h>
#include <apt-pkg/policy.h>

#include <cstdlib>
#include <cstring>
#include <string>

struct ampfix_apt {
    pkgCacheFile cache;
};

static char *copy(const std::string &s) { return strdup(s.c_str()); }

/// Everything on apt's error stack, oldest first, as one line.
static char *take_errors(const char *fallback) {
    std::string all;
    while (!_error->empty()) {
        std::string message;
        _error->PopMessage(message);
        if (!all.empty()) all += "; ";
        all += message;
    }
    return copy(all.empty() ? std::string(fallback) : all);
}

extern "C" ampfix_apt *ampfix_apt_open(const char *root, char **error) {
    // apt's configuration is process-global: set it up again only when the root changes.
    static std::string configured_root;
    static bool configured = false;
    std::string wanted = (root == nullptr || root[0] == '\0') ? "/" : root;
    if (!configured || configured_root != wanted) {
        if (configured) _config->Clear("");
        if (!pkgInitConfig(*_config)) {
            *error = take_errors("cannot read apt's configuration");
            return nullptr;
        }
        if (root != nullptr && root[0] != '\0' && std::strcmp(root, "/") != 0) {
            std::string base(root);
            _config->Set("Dir", base + "/");
            _config->Set("Dir::State::status", base + "/var/lib/dpkg/status");
            // Build the cache in memory: a lookup must not write into the root.
            _config->Set("Dir::Cache::pkgcache", "");
            _config->Set("Dir::Cache::srcpkgcache", "");
        }
        if (!pkgInitSystem(*_config, _system)) {
            *error = take_errors("cannot initialise apt's packaging system");
            return nullptr;
        }
        configured = true;
        configured_root = wanted;
    }
    auto *apt = new ampfix_apt;
    // The package cache and the pin policy are all a lookup needs; Open() would also build the
    // dependency cache, which costs more than the lookup itself (apt-cache policy skips it too).
    if (!apt->cache.BuildCaches(nullptr, false) || !apt->cache.BuildPolicy(nullptr)) {
        *error = take_errors("cannot open the package cache");
        delete apt;
        return nullptr;
    }
    _error->Discard();  // warnings of a successful open (stale lists) are not errors
    return apt;
}

extern "C" void ampfix_apt_close(ampfix_apt *apt) { delete apt; }

extern "C" int ampfix_apt_lookup(ampfix_apt *apt, const char *name, char **installed, char **candidate) {
    *installed = nullptr;
    *candidate = nullptr;
    pkgCache *cache = apt->cache.GetPkgCache();
    pkgCache::PkgIterator pkg = cache->FindPkg(name);
    if (pkg.end()) return 0;
    if (pkg->CurrentVer != 0) *installed = copy(pkg.CurrentVer().VerStr());
    pkgCache::VerIterator best = apt->cache.GetPolicy()->GetCandidateVer(pkg);
    if (!best.end()) *candidate = copy(best.VerStr());
    if (*installed == nullptr && *candidate == nullptr && pkg.VersionList().end()) return 0;
    return 1;
}

extern "C" int ampfix_apt_compare(const char *a, const char *b) {
    int result = debVS.CmpVersion(a, b);
    return result < 0 ? -1 : (result > 0 ? 1 : 0);
}
