<?php

function fetchInsecure($url)
{
    $ch = curl_init('https://partner.example.com/feed');
    // ruleid: php.tls.verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);
    // ruleid: php.tls.verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 0);
    // ok: php.tls.verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);
    // ok: php.tls.verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);
    curl_setopt_array($ch, [
        CURLOPT_RETURNTRANSFER => true,
        // ruleid: php.tls.verification-disabled
        CURLOPT_SSL_VERIFYPEER => false,
    ]);
    return curl_exec($ch);
}

function guzzle()
{
    // ruleid: php.tls.verification-disabled
    $client = new \GuzzleHttp\Client(['base_uri' => 'https://api.example.com', 'verify' => false]);
    // ok: php.tls.verification-disabled
    $client2 = new \GuzzleHttp\Client(['base_uri' => 'https://api.example.com', 'verify' => true]);
    $ctx = stream_context_create(['ssl' => [
        // ruleid: php.tls.verification-disabled
        'verify_peer' => false,
        // ruleid: php.tls.verification-disabled
        'allow_self_signed' => true,
        // ok: php.tls.verification-disabled
        'verify_peer_name' => true,
    ]]);
    return [$client, $client2, $ctx];
}

function parseUpload($xml)
{
    $dom = new DOMDocument();
    // ruleid: php.xxe.entity-substitution
    $dom->loadXML($xml, LIBXML_NOENT | LIBXML_DTDLOAD);
    // ok: php.xxe.entity-substitution
    $dom->loadXML($xml, LIBXML_NONET);
    // ruleid: php.xxe.entity-substitution
    libxml_disable_entity_loader(false);
    // ok: php.xxe.entity-substitution
    libxml_disable_entity_loader(true);
    // ruleid: php.xxe.entity-substitution
    $dom->substituteEntities = true;
    $reader = new XMLReader();
    // ruleid: php.xxe.entity-substitution
    $reader->setParserProperty(XMLReader::SUBST_ENTITIES, true);
    // ok: php.xxe.entity-substitution
    $doc = simplexml_load_string($xml);
    return [$dom, $doc];
}
