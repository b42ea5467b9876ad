package io.srvepmd.agent;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * This node's one identity, offered in both roles whatever the peer asks for.
 * The JDK's key managers pick a client certificate only if its issuer is among
 * the CAs the server names, and send none otherwise; OTP sends its certificate
 * regardless and lets the server decide. Doing the same keeps the refusal on
 * the side that can name it ("unknown CA") instead of an empty certificate.
 */
final class NodeKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "node";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    NodeKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain.clone();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return keyType.equals(keyType(key)) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return keyType.equals(keyType(key)) ? ALIAS : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return key;
    }

    /** The key type names JSSE asks a server for: RSA, EC, EdDSA, RSASSA-PSS, DSA. */
    private static String keyType(PrivateKey key) {
        String a = key.getAlgorithm();
        return a.equals("Ed25519") || a.equals("Ed448") ? "EdDSA" : a;
    }
}
