package io.srvepmd.agent;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One generation of this node's TLS identity and trust, read from the files
 * and checked: the private key, the certificate chain (the leaf first, the
 * whole chain sent to peers: without its intermediates an Erlang peer answers
 * "Unknown CA"), every CA of the bundle as a trust anchor, the CRLs, and the
 * {@link SSLContext} built from them.
 *
 * <p>Refused, with the setting, the file and the fix: a file that cannot be
 * read or holds the wrong kind of thing, a key that is not the certificate's,
 * a certificate of ours that has expired or is not yet valid. Accepted with a
 * warning (OTP starts with it too): a certificate no CA of the bundle issued,
 * as in PKIs that trust another CA for peers than the one that signs nodes;
 * an extended key usage without both serverAuth and clientAuth.
 */
final class TlsMaterial {

    final PrivateKey key;
    final List<X509Certificate> chain;
    final List<X509Certificate> cas;
    final List<X509CRL> crls;
    final String keyFormat;
    final SSLContext context;
    /** Warnings that do not stop the node (no CA of the bundle issued our certificate, ...). */
    final List<String> warnings = new ArrayList<>();

    private TlsMaterial(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> cas, List<X509CRL> crls,
            String keyFormat, SSLContext context) {
        this.key = key;
        this.chain = chain;
        this.cas = cas;
        this.crls = crls;
        this.keyFormat = keyFormat;
        this.context = context;
    }

    /** The leaf: this node's own certificate. */
    X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * @param files the files' contents, as read together (see {@link TlsContexts})
     * @param now the time to check validity at
     */
    static TlsMaterial load(TlsSettings s, TlsContexts.Snapshot files, Date now) throws ConfigException {
        PemFiles.KeyAndChain k = read(s, TlsSettings.KEYFILE, s.keyfile, files, Kind.KEY).keyAndChain;
        List<X509Certificate> chain;
        if (s.certfile != null) {
            chain = read(s, TlsSettings.CERTFILE, s.certfile, files, Kind.CERTIFICATES).certificates;
        } else if (!k.chain.isEmpty()) {
            chain = k.chain;
        } else {
            throw new ConfigException(s.describe(TlsSettings.KEYFILE, s.keyfile) + " holds a " + k.format
                    + " key and " + TlsSettings.CERTFILE + " is not set; set " + TlsSettings.CERTFILE
                    + " to this node's PEM certificate with its chain");
        }
        String certSetting = s.certfile != null ? TlsSettings.CERTFILE : TlsSettings.KEYFILE;
        chain = leafFirst(s, certSetting, chain, k);
        checkValidity(s, certSetting, chain, now);
        List<X509Certificate> cas = read(s, TlsSettings.CACERTFILE, s.cacertfile, files, Kind.CERTIFICATES)
                .certificates;
        List<X509CRL> crls = s.crlfile.isPresent()
                ? read(s, TlsSettings.CRLFILE, s.crlfile.get(), files, Kind.CRLS).crls : List.<X509CRL>of();
        SSLContext context;
        try {
            context = context(k.key, chain, cas, crls);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("cannot build a TLS context from " + s.describe(certSetting,
                    s.certificateFile()) + " and " + s.describe(TlsSettings.CACERTFILE, s.cacertfile) + ": " + e);
        }
        TlsMaterial m = new TlsMaterial(k.key, chain, cas, crls, k.format, context);
        m.checkIssuer(s, certSetting);
        m.checkKeyUsage(s, certSetting);
        return m;
    }

    private enum Kind { KEY, CERTIFICATES, CRLS }

    /** What one file held. */
    private static final class Read {
        PemFiles.KeyAndChain keyAndChain;
        List<X509Certificate> certificates;
        List<X509CRL> crls;
    }

    private static Read read(TlsSettings s, String key, java.nio.file.Path file, TlsContexts.Snapshot files,
            Kind kind) throws ConfigException {
        byte[] bytes = files.content(file);
        if (bytes == null) {
            throw new ConfigException(s.describe(key, file) + " " + files.problem(file));
        }
        Read r = new Read();
        try {
            switch (kind) {
                case KEY:
                    r.keyAndChain = PemFiles.privateKey(bytes, s.password);
                    break;
                case CERTIFICATES:
                    r.certificates = PemFiles.certificates(bytes);
                    break;
                default:
                    r.crls = PemFiles.crls(bytes);
            }
        } catch (PemFiles.Problem p) {
            throw new ConfigException(s.describe(key, file) + " " + p.getMessage() + "; " + p.fix);
        }
        return r;
    }

    /** The chain with the certificate of our key first; refused if none is. */
    private static List<X509Certificate> leafFirst(TlsSettings s, String certSetting, List<X509Certificate> chain,
            PemFiles.KeyAndChain k) throws ConfigException {
        for (int i = 0; i < chain.size(); i++) {
            if (matches(k.key, chain.get(i).getPublicKey())) {
                List<X509Certificate> ordered = new ArrayList<>(chain);
                ordered.add(0, ordered.remove(i));
                return ordered;
            }
        }
        throw new ConfigException(s.describe(TlsSettings.KEYFILE, s.keyfile) + " (" + k.format + " "
                + k.key.getAlgorithm() + ") is not the key of the certificate in " + s.describe(certSetting,
                s.certificateFile()) + " (" + subject(chain.get(0)) + "); give the key that certificate was issued"
                + " for, or the certificate issued for this key");
    }

    /** Whether the private key belongs to the public key: same RSA modulus, or a signature it verifies. */
    static boolean matches(PrivateKey key, PublicKey pub) {
        if (key instanceof RSAKey || pub instanceof RSAKey) {
            if (!(key instanceof RSAKey && pub instanceof RSAKey)) {
                return false;
            }
            BigInteger a = ((RSAKey) key).getModulus();
            return a.equals(((RSAKey) pub).getModulus());
        }
        String algorithm = signatureFor(key.getAlgorithm());
        if (algorithm == null || !key.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        try {
            byte[] probe = "srv-epmd key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] sig = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(pub);
            verify.update(probe);
            return verify.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // e.g. an EC key of another curve
        }
    }

    private static String signatureFor(String keyAlgorithm) {
        switch (keyAlgorithm) {
            case "EC":
                return "SHA256withECDSA";
            case "DSA":
                return "SHA256withDSA";
            case "EdDSA":
            case "Ed25519":
            case "Ed448":
                return "EdDSA";
            default:
                return null;
        }
    }

    private static void checkValidity(TlsSettings s, String certSetting, List<X509Certificate> chain, Date now)
            throws ConfigException {
        for (X509Certificate c : chain) {
            String which = c == chain.get(0) ? "certificate" : "chain certificate";
            try {
                c.checkValidity(now);
            } catch (CertificateExpiredException e) {
                throw new ConfigException(s.describe(certSetting, s.certificateFile()) + ": the " + which + " "
                        + subject(c) + " expired on " + date(c.getNotAfter()) + "; install a renewed certificate");
            } catch (CertificateNotYetValidException e) {
                throw new ConfigException(s.describe(certSetting, s.certificateFile()) + ": the " + which + " "
                        + subject(c) + " is not valid before " + date(c.getNotBefore()) + "; check this host's clock,"
                        + " or install a certificate valid now");
            }
        }
    }

    /** Warns when no CA of the bundle issued our certificate: legal (OTP starts too), but peers may refuse it. */
    private void checkIssuer(TlsSettings s, String certSetting) {
        String problem = validate(chain, cas);
        if (problem != null) {
            warnings.add("the certificate in " + s.describe(certSetting, s.certificateFile()) + " ("
                    + subject(certificate()) + ", issued by " + certificate().getIssuerX500Principal().getName()
                    + ") does not chain to a CA in " + s.describe(TlsSettings.CACERTFILE, s.cacertfile) + ": "
                    + problem + "; peers that trust only those CAs will refuse this node");
        }
    }

    private void checkKeyUsage(TlsSettings s, String certSetting) {
        try {
            List<String> eku = certificate().getExtendedKeyUsage();
            if (eku != null && !eku.contains("2.5.29.37.0") && (!eku.contains("1.3.6.1.5.5.7.3.1")
                    || !eku.contains("1.3.6.1.5.5.7.3.2"))) {
                warnings.add("the certificate in " + s.describe(certSetting, s.certificateFile()) + " limits its"
                        + " use (extended key usage " + eku + ") without both serverAuth and clientAuth: a node is"
                        + " both a TLS server and a TLS client, and peers refuse it in the missing role");
            }
        } catch (CertificateParsingException e) {
            warnings.add("the certificate's extended key usage cannot be read: " + e.getMessage());
        }
    }

    /** @return null if {@code chain} validates against {@code cas} (no revocation check), else why not */
    static String validate(List<X509Certificate> chain, List<X509Certificate> cas) {
        try {
            PKIXParameters p = new PKIXParameters(anchors(cas));
            p.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertPath(withoutAnchors(chain,
                            cas)), p);
            return null;
        } catch (GeneralSecurityException e) {
            return e.getMessage();
        }
    }

    /** A path ends below its anchor: a root copied into the certificate file is left out. */
    private static List<X509Certificate> withoutAnchors(List<X509Certificate> chain, List<X509Certificate> cas) {
        List<X509Certificate> path = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            if (i == 0 || !cas.contains(chain.get(i))) {
                path.add(chain.get(i));
            }
        }
        return path;
    }

    private static Set<TrustAnchor> anchors(List<X509Certificate> cas) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate ca : cas) {
            anchors.add(new TrustAnchor(ca, null));
        }
        return anchors;
    }

    private static SSLContext context(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> cas,
            List<X509CRL> crls) throws GeneralSecurityException {
        PKIXBuilderParameters p = new PKIXBuilderParameters(anchors(cas), new X509CertSelector());
        if (crls.isEmpty()) {
            p.setRevocationEnabled(false); // OTP's default: crl_check false
        } else {
            // As OTP's {crl_check, peer}: the peer's own certificate, against the CRLs of the file only.
            p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            PKIXRevocationChecker revocation = (PKIXRevocationChecker) CertPathValidator.getInstance("PKIX")
                    .getRevocationChecker();
            revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                    PKIXRevocationChecker.Option.NO_FALLBACK, PKIXRevocationChecker.Option.ONLY_END_ENTITY));
            p.addCertPathChecker(revocation);
            p.setRevocationEnabled(true);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(new CertPathTrustManagerParameters(p));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new NodeKeyManager(key, chain.toArray(new X509Certificate[0]))},
                tmf.getTrustManagers(), null);
        return context;
    }

    static String subject(X509Certificate c) {
        return "'" + c.getSubjectX500Principal().getName() + "'";
    }

    static String date(Date d) {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(d);
    }
}
