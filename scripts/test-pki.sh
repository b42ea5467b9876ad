#!/usr/bin/env bash
# Makes the certificates and keys the TLS tests use, with Debian's openssl, in DIR
# (created). Nothing here is committed: every test run makes its own.
#
#   ca.pem/.key           root CA            int.pem/.key    intermediate CA (issued by the root)
#   other-ca.pem/.key     an unrelated CA
# Node identities (leaf certificates for svc.test, localhost, 127.0.0.1 and ::1; no
# extended key usage, so both TLS roles):
#   rsa.pem + rsa.key            root-issued, RSA key as PKCS#8 (BEGIN PRIVATE KEY)
#   rsa-pkcs1.key                the same key as PKCS#1 (BEGIN RSA PRIVATE KEY)
#   rsa-enc.key                  the same key as encrypted PKCS#8, password s3cret
#   rsa.p12                      the same key and certificate as PKCS#12, password s3cret
#   ec.pem + ec-sec1.key         EC P-256 key as openssl ecparam -genkey writes it (EC PARAMETERS, then SEC1)
#   ec.key                       the same EC key as PKCS#8
#   chain.pem + chain.key        issued by the intermediate; chain.pem holds the leaf then the intermediate
#   chain-leaf.pem               the leaf alone
#   other.pem + other.key        issued by the other CA
#   wronghost.pem (rsa.key)      names only other.test
#   expired.pem (rsa.key)        valid in 2020 only      future.pem (rsa.key)   valid from 2099
#   revoked.pem + revoked.key    root-issued, revoked in crl.pem (the root's CRL)
#   short.pem (rsa.key)          valid for one more day
#   both-cas.pem                 ca.pem and other-ca.pem in one bundle
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"
rm -rf db && mkdir -p db/new && : > db/index.txt && echo 1000 > db/serial && echo 1000 > db/crlnumber

cat > ca.cnf <<'EOF'
[ ca ]
default_ca = test
[ test ]
database = db/index.txt
new_certs_dir = db/new
serial = db/serial
crlnumber = db/crlnumber
default_md = sha256
default_days = 365
default_crl_days = 30
policy = any
unique_subject = no
[ any ]
commonName = supplied
[ req ]
distinguished_name = dn
[ dn ]
[ leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
subjectAltName = DNS:svc.test, DNS:localhost, IP:127.0.0.1, IP:::1
[ wronghost ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
subjectAltName = DNS:other.test
[ intca ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
EOF

q() { "$@" 2>/dev/null; }
rsa() { q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1"; }
root() { # NAME CN
  rsa "$1.key"
  q openssl req -x509 -new -key "$1.key" -subj "/CN=$2" -days 3650 -config ca.cnf \
    -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$1.pem"
}
issue() { # KEY OUT CN ISSUER EXTENSIONS [openssl ca date options...]
  local key="$1" out="$2" cn="$3" issuer="$4" ext="$5"
  shift 5
  q openssl req -new -key "$key" -subj "/CN=$cn" -config ca.cnf -out "$out.csr"
  q openssl ca -batch -config ca.cnf -cert "$issuer.pem" -keyfile "$issuer.key" -in "$out.csr" -out "$out" \
    -extensions "$ext" -notext "$@"
  rm -f "$out.csr"
}

root ca "srv-epmd test root CA"
root other-ca "srv-epmd test other CA"
rsa int.key
issue int.key int.pem "srv-epmd test intermediate CA" ca intca

rsa rsa.key
issue rsa.key rsa.pem "node rsa" ca leaf
q openssl rsa -in rsa.key -traditional -out rsa-pkcs1.key
q openssl pkcs8 -topk8 -in rsa.key -v2 aes-256-cbc -passout pass:s3cret -out rsa-enc.key
q openssl pkcs12 -export -inkey rsa.key -in rsa.pem -passout pass:s3cret -out rsa.p12

q openssl ecparam -name prime256v1 -genkey -out ec-sec1.key
q openssl pkcs8 -topk8 -nocrypt -in ec-sec1.key -out ec.key
issue ec.key ec.pem "node ec" ca leaf

rsa chain.key
issue chain.key chain-leaf.pem "node chain" int leaf
cat chain-leaf.pem int.pem > chain.pem

rsa other.key
issue other.key other.pem "node other" other-ca leaf

issue rsa.key wronghost.pem "node wronghost" ca wronghost
issue rsa.key expired.pem "node expired" ca leaf -startdate 20200101000000Z -enddate 20200102000000Z
issue rsa.key future.pem "node future" ca leaf -startdate 20990101000000Z -enddate 20991231000000Z
issue rsa.key short.pem "node short" ca leaf -days 1
cat ca.pem other-ca.pem > both-cas.pem

rsa revoked.key
issue revoked.key revoked.pem "node revoked" ca leaf
q openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -revoke revoked.pem
q openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -gencrl -out crl.pem
echo "test PKI in $dir"
