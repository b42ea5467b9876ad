package io.srvepmd.agent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads the files users have, with the JDK only: PEM certificates and CRLs
 * (or DER), and private keys as PKCS#8 ({@code BEGIN PRIVATE KEY}, also
 * {@code BEGIN ENCRYPTED PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE
 * KEY}), SEC1 EC ({@code BEGIN EC PRIVATE KEY}, after an optional
 * {@code EC PARAMETERS} block), or a PKCS#12 store.
 *
 * <p>The JDK's {@link KeyFactory} reads PKCS#8 only, so the other two PEM forms
 * are wrapped into PKCS#8 first (RFC 5208's PrivateKeyInfo around the key as
 * it is): a PKCS#1 key with the rsaEncryption identifier, a SEC1 key with
 * id-ecPublicKey and the curve named in the key's own parameters (RFC 5915).
 * A PKCS#8 key names its algorithm itself, and that name is used.
 */
final class PemFiles {

    static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    static final String RSASSA_PSS = "1.2.840.113549.1.1.10";
    static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    static final String DSA = "1.2.840.10040.4.1";
    static final String ED25519 = "1.3.101.112";
    static final String ED448 = "1.3.101.113";
    /** PKCS#5's PBES2: the JDK names such a key's cipher in its parameters, not in its algorithm name. */
    static final String PBES2 = "1.2.840.113549.1.5.13";

    /** The DER of the rsaEncryption algorithm identifier: the OID and a NULL parameter. */
    private static final byte[] RSA_ALGORITHM = Der.element(Der.SEQUENCE,
            new byte[] {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01},
            new byte[] {0x05, 0x00});
    /** The DER of the id-ecPublicKey OID. */
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    /** What is wrong with a file, and what to do about it. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        final String fix;

        Problem(String message, String fix) {
            super(message);
            this.fix = fix;
        }
    }

    /** One PEM block: its label ({@code CERTIFICATE}, {@code RSA PRIVATE KEY}, ...) and its bytes. */
    static final class Block {
        final String label;
        final byte[] der;
        /** An OpenSSL "traditional" encrypted key ({@code Proc-Type: 4,ENCRYPTED}). */
        final boolean legacyEncrypted;

        Block(String label, byte[] der, boolean legacyEncrypted) {
            this.label = label;
            this.der = der;
            this.legacyEncrypted = legacyEncrypted;
        }
    }

    /** A private key with the certificates that came with it (a PKCS#12 store's chain; else none). */
    static final class KeyAndChain {
        final PrivateKey key;
        final List<X509Certificate> chain;
        final String format;

        KeyAndChain(PrivateKey key, List<X509Certificate> chain, String format) {
            this.key = key;
            this.chain = chain;
            this.format = format;
        }
    }

    private PemFiles() {
    }

    /** @return whether the file is PEM text (has a {@code -----BEGIN} line) */
    static boolean isPem(byte[] file) {
        return new String(file, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    /** The PEM blocks of a file, in order; text around them is ignored, as OpenSSL does. */
    static List<Block> blocks(byte[] file) throws Problem {
        List<Block> out = new ArrayList<>();
        String text = new String(file, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", at);
            if (begin < 0) {
                return out;
            }
            int labelEnd = text.indexOf("-----", begin + 11);
            if (labelEnd < 0) {
                throw new Problem("has a broken PEM line at character " + begin, "write the file anew");
            }
            String label = text.substring(begin + 11, labelEnd);
            String endLine = "-----END " + label + "-----";
            int end = text.indexOf(endLine, labelEnd);
            if (end < 0) {
                throw new Problem("has no '" + endLine + "' line", "copy the whole file; it was cut short");
            }
            out.add(block(label, text.substring(labelEnd + 5, end)));
            at = end + endLine.length();
        }
    }

    private static Block block(String label, String body) throws Problem {
        StringBuilder base64 = new StringBuilder();
        boolean encrypted = false;
        for (String line : body.split("\n")) {
            String l = line.trim();
            if (l.indexOf(':') >= 0) { // RFC 1421 headers: Proc-Type, DEK-Info
                encrypted |= l.startsWith("Proc-Type:") && l.contains("ENCRYPTED");
            } else {
                base64.append(l);
            }
        }
        try {
            return new Block(label, Base64.getDecoder().decode(base64.toString()), encrypted);
        } catch (IllegalArgumentException e) {
            throw new Problem("has a '" + label + "' block that is not valid base64 (" + e.getMessage() + ")",
                    "write the file anew");
        }
    }

    /** Every certificate of a PEM file (other blocks ignored) or of a DER file. */
    static List<X509Certificate> certificates(byte[] file) throws Problem {
        List<X509Certificate> out = new ArrayList<>();
        Set<String> others = new LinkedHashSet<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            if (!isPem(file)) {
                for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(file))) {
                    out.add((X509Certificate) c);
                }
                return out;
            }
            for (Block b : blocks(file)) {
                if (b.label.equals("CERTIFICATE") || b.label.equals("TRUSTED CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der)));
                } else {
                    others.add(b.label);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new Problem("holds a certificate that cannot be read (" + e.getMessage() + ")",
                    "give a PEM file of X.509 certificates (BEGIN CERTIFICATE)");
        }
        if (out.isEmpty()) {
            throw new Problem("holds no certificate" + found(others), "give a PEM file of X.509 certificates"
                    + " (BEGIN CERTIFICATE)");
        }
        return out;
    }

    /** Every CRL of a PEM or DER file. */
    static List<X509CRL> crls(byte[] file) throws Problem {
        List<X509CRL> out = new ArrayList<>();
        Set<String> others = new LinkedHashSet<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            if (!isPem(file)) {
                for (CRL c : cf.generateCRLs(new ByteArrayInputStream(file))) {
                    out.add((X509CRL) c);
                }
            } else {
                for (Block b : blocks(file)) {
                    if (b.label.equals("X509 CRL")) {
                        out.add((X509CRL) cf.generateCRL(new ByteArrayInputStream(b.der)));
                    } else {
                        others.add(b.label);
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new Problem("holds a CRL that cannot be read (" + e.getMessage() + ")",
                    "give a PEM file of certificate revocation lists (BEGIN X509 CRL)");
        }
        if (out.isEmpty()) {
            throw new Problem("holds no certificate revocation list" + found(others),
                    "give a PEM file of certificate revocation lists (BEGIN X509 CRL)");
        }
        return out;
    }

    /**
     * The private key of a PEM file (certificate blocks beside it are ignored), or the key and
     * chain of a PKCS#12 store.
     */
    static KeyAndChain privateKey(byte[] file, char[] password) throws Problem {
        if (!isPem(file)) {
            return pkcs12(file, password);
        }
        byte[] curve = null;
        Set<String> others = new LinkedHashSet<>();
        for (Block b : blocks(file)) {
            switch (b.label) {
                case "PRIVATE KEY":
                    return new KeyAndChain(pkcs8(b.der), List.of(), "PKCS#8");
                case "ENCRYPTED PRIVATE KEY":
                    return new KeyAndChain(pkcs8(decrypt(b.der, password)), List.of(), "encrypted PKCS#8");
                case "RSA PRIVATE KEY":
                    legacy(b);
                    return new KeyAndChain(pkcs8(Der.element(Der.SEQUENCE, VERSION_0, RSA_ALGORITHM,
                            Der.element(Der.OCTET_STRING, b.der))), List.of(), "PKCS#1 RSA");
                case "EC PARAMETERS":
                    curve = b.der;
                    break;
                case "EC PRIVATE KEY":
                    legacy(b);
                    return new KeyAndChain(pkcs8(sec1(b.der, curve)), List.of(), "SEC1 EC");
                default:
                    others.add(b.label);
            }
        }
        throw new Problem("holds no private key" + found(others), "give the node's private key in PEM (BEGIN"
                + " PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) or a PKCS#12 file");
    }

    private static String found(Set<String> labels) {
        return labels.isEmpty() ? " (no PEM block in it)" : " (found: " + String.join(", ", labels) + ")";
    }

    private static void legacy(Block b) throws Problem {
        if (b.legacyEncrypted) {
            throw new Problem("holds a key encrypted in OpenSSL's traditional form (Proc-Type: 4,ENCRYPTED),"
                    + " which the JDK cannot read", "convert it to encrypted PKCS#8: openssl pkcs8 -topk8 -v2"
                    + " aes-256-cbc -in KEY -out KEY.p8 (keep tls.password)");
        }
    }

    /** SEC1's ECPrivateKey in a PKCS#8 PrivateKeyInfo, with the curve from its parameters or the block before it. */
    private static byte[] sec1(byte[] der, byte[] paramsBlock) throws Problem {
        try {
            Der.Element key = Der.expect(der, Der.SEQUENCE, "an EC private key (SEC1)");
            byte[] curve = null;
            for (Der.Element e = key.first(); e != null; e = e.next(key.end)) {
                if (e.tag == Der.CONTEXT_0) {
                    curve = namedCurve(e.first());
                }
            }
            if (curve == null && paramsBlock != null) {
                curve = namedCurve(Der.read(paramsBlock, 0, paramsBlock.length));
            }
            if (curve == null) {
                throw new Problem("holds an EC private key that names no curve", "write it with its parameters:"
                        + " openssl ec -in KEY -out KEY.pem (or give PKCS#8: openssl pkcs8 -topk8 -nocrypt)");
            }
            return Der.element(Der.SEQUENCE, VERSION_0, Der.element(Der.SEQUENCE, EC_OID, curve),
                    Der.element(Der.OCTET_STRING, der));
        } catch (Der.DerException e) {
            throw new Problem("holds an EC private key that cannot be read (" + e.getMessage() + ")",
                    "write the file anew (openssl ec -in KEY -out KEY.pem)");
        }
    }

    private static byte[] namedCurve(Der.Element params) throws Problem {
        if (params.tag != Der.OID) {
            throw new Problem("holds an EC key with explicit curve parameters, which the JDK does not accept",
                    "write it with a named curve: openssl ec -in KEY -param_enc named_curve -out KEY.pem");
        }
        return params.encoded();
    }

    /** A PKCS#8 key with the algorithm its own identifier names. */
    static PrivateKey pkcs8(byte[] der) throws Problem {
        String oid;
        try {
            Der.Element info = Der.expect(der, Der.SEQUENCE, "a PKCS#8 private key");
            Der.Element algorithm = Der.check(info.first().next(info.end), Der.SEQUENCE, "an algorithm identifier");
            oid = Der.oid(algorithm.first());
        } catch (Der.DerException e) {
            throw new Problem("holds a private key that cannot be read (" + e.getMessage() + ")",
                    "write the file anew (openssl pkey -in KEY -out KEY.pem)");
        }
        String algorithm = keyAlgorithm(oid);
        if (algorithm == null) {
            throw new Problem("holds a private key of algorithm " + oid + ", which cannot sign TLS handshakes",
                    "use an RSA, EC (P-256, P-384, P-521) or Ed25519 key");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new Problem("holds a " + algorithm + " private key the JDK cannot read (" + e.getMessage() + ")",
                    "write the file anew (openssl pkey -in KEY -out KEY.pem)");
        }
    }

    private static String keyAlgorithm(String oid) {
        switch (oid) {
            case RSA_ENCRYPTION:
                return "RSA";
            case RSASSA_PSS:
                return "RSASSA-PSS";
            case EC_PUBLIC_KEY:
                return "EC";
            case DSA:
                return "DSA";
            case ED25519:
                return "Ed25519";
            case ED448:
                return "Ed448";
            default:
                return null;
        }
    }

    /** PKCS#8's EncryptedPrivateKeyInfo, decrypted with the password (PBES2 as OpenSSL 3 writes it, or PBES1). */
    private static byte[] decrypt(byte[] der, char[] password) throws Problem {
        if (password == null) {
            throw new Problem("holds an encrypted private key and tls.password is not set",
                    "set tls.password to the key's password");
        }
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String algorithm = info.getAlgName();
            if ((algorithm.equals("PBES2") || algorithm.equals(PBES2)) && info.getAlgParameters() != null) {
                algorithm = info.getAlgParameters().toString(); // e.g. PBEWithHmacSHA256AndAES_256
            }
            Key secret = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password));
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, secret, info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw new Problem("cannot be decrypted with tls.password (wrong password?)", "set tls.password to"
                    + " the password the key was encrypted with");
        } catch (GeneralSecurityException | IOException e) {
            throw new Problem("holds an encrypted private key the JDK cannot decrypt (" + e.getMessage() + ")",
                    "re-encrypt it as PKCS#8 with PBES2: openssl pkcs8 -topk8 -v2 aes-256-cbc -in KEY -out KEY.p8");
        }
    }

    private static KeyAndChain pkcs12(byte[] file, char[] password) throws Problem {
        char[] pw = password == null ? new char[0] : password;
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(file), pw);
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password")) {
                throw new Problem("is a PKCS#12 store that cannot be opened with tls.password" + (password == null
                        ? " (not set)" : " (wrong password?)"), "set tls.password to the store's password");
            }
            throw new Problem("is neither PEM nor a PKCS#12 store (" + e.getMessage() + ")", "give the node's"
                    + " private key in PEM (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) or a PKCS#12"
                    + " file");
        } catch (GeneralSecurityException e) {
            throw new Problem("is a PKCS#12 store the JDK cannot read (" + e.getMessage() + ")",
                    "export it anew: openssl pkcs12 -export -inkey KEY -in CERT -out FILE.p12");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) store.getKey(alias, pw);
                    List<X509Certificate> chain = new ArrayList<>();
                    Certificate[] certs = store.getCertificateChain(alias);
                    for (int i = 0; certs != null && i < certs.length; i++) {
                        chain.add((X509Certificate) certs[i]);
                    }
                    return new KeyAndChain(key, chain, "PKCS#12");
                }
            }
        } catch (GeneralSecurityException e) {
            throw new Problem("is a PKCS#12 store whose key cannot be read with tls.password (" + e.getMessage()
                    + ")", "set tls.password to the key's password");
        }
        throw new Problem("is a PKCS#12 store without a private key", "export it with the key: openssl pkcs12"
                + " -export -inkey KEY -in CERT -out FILE.p12");
    }
}
