<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Storage;

class ProfileController extends Controller
{
    private const PROFILE_COLUMNS = 'id, name, bio';

    public function search(Request $request)
    {
        $name = $request->input('name');
        // expect: CWE-89
        $users = DB::select("SELECT id, name FROM users WHERE name = '" . $name . "'");
        // safe: CWE-89
        $same = DB::select('SELECT id, name FROM users WHERE name = ?', [$name]);
        // safe: CWE-89
        $all = DB::select('SELECT ' . self::PROFILE_COLUMNS . ' FROM users');
        $order = $request->query('order');
        // expect: CWE-89
        $sorted = DB::table('users')->orderByRaw($order)->get();
        return response()->json([$users, $same, $all, $sorted]);
    }

    public function show(Request $request, $id)
    {
        $id = intval($id);
        // safe: CWE-89
        $row = DB::select("SELECT * FROM users WHERE id = " . $id);
        return response()->json($row);
    }

    public function avatar(Request $request)
    {
        $file = $request->input('file');
        // expect: CWE-22
        return response()->file(storage_path('avatars/' . $file));
    }

    public function defaultAvatar(Request $request)
    {
        $file = $request->input('file');
        $file = 'default.png';
        // safe: CWE-22
        return response()->file(storage_path('avatars/' . $file));
    }

    public function restore(Request $request)
    {
        $payload = $request->cookie('profile_state');
        // expect: CWE-502
        $state = unserialize(base64_decode($payload));
        // safe: CWE-502
        $state2 = json_decode(base64_decode($payload), true);
        return response()->json([$state, $state2]);
    }

    public function leave(Request $request)
    {
        $to = $request->input('to');
        // expect: CWE-601
        return redirect($to);
    }

    public function home()
    {
        // safe: CWE-601
        return redirect('/profile');
    }

    public function bio(Request $request)
    {
        $bio = $request->input('bio');
        // expect: CWE-79
        return response('<div class="bio">' . $bio . '</div>');
    }
}
